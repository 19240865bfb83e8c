import * as path from 'path';
import type { PbxDict, PbxValue } from './parse';

const GROUP_ISAS = new Set(['PBXGroup', 'PBXVariantGroup', 'XCVersionGroup', 'PBXFileSystemSynchronizedRootGroup']);
/** Deepest group nesting followed before a parent chain is taken for a cycle. */
const MAX_GROUP_DEPTH = 256;

/** The `objects` table of a pbxproj, with each file's and group's parent group. */
export class ObjectGraph {
  private readonly parents = new Map<string, string>();

  private constructor(
    private readonly objects: PbxDict,
    private readonly rootId: string,
  ) {
    for (const [id, object] of this.entries()) {
      if (typeof object.isa !== 'string' || !GROUP_ISAS.has(object.isa)) continue;
      for (const child of stringList(object.children)) this.parents.set(child, id);
    }
  }

  static fromRoot(root: PbxValue): ObjectGraph {
    if (!isDict(root)) throw new Error('project.pbxproj does not contain a dictionary');
    const objects = root.objects;
    const rootId = root.rootObject;
    if (!isDict(objects)) throw new Error('project.pbxproj has no "objects" dictionary');
    if (typeof rootId !== 'string' || !isDict(objects[rootId])) throw new Error('project.pbxproj has no valid "rootObject"');
    return new ObjectGraph(objects, rootId);
  }

  rootProject(): PbxDict {
    return this.objects[this.rootId] as PbxDict;
  }

  get(id: string): PbxDict | undefined {
    const object = Object.hasOwn(this.objects, id) ? this.objects[id] : undefined;
    return isDict(object) ? object : undefined;
  }

  *entries(): IterableIterator<[string, PbxDict]> {
    for (const [id, object] of Object.entries(this.objects)) {
      if (isDict(object)) yield [id, object];
    }
  }

  /**
   * The path of a file or group relative to the project directory, following `<group>` parents up
   * to the main group. Undefined for files outside the project (SDK, built products).
   */
  pathOf(id: string): string | undefined {
    const segments: string[] = [];
    let current: string | undefined = id;
    for (let depth = 0; current !== undefined && depth < MAX_GROUP_DEPTH; depth++) {
      const object = this.get(current);
      if (!object) return undefined;
      const own = typeof object.path === 'string' ? object.path : undefined;
      if (own) segments.push(own);
      const tree = typeof object.sourceTree === 'string' ? object.sourceTree : '<group>';
      if (tree === '<absolute>') return joinSegments(segments);
      if (tree === 'SOURCE_ROOT' || tree === '$(SRCROOT)') return path.posix.normalize(joinSegments(segments));
      if (tree !== '<group>') return undefined;
      current = this.parents.get(current);
    }
    return current === undefined ? path.posix.normalize(joinSegments(segments)) : undefined;
  }
}

function joinSegments(reversed: string[]): string {
  return path.posix.join(...[...reversed].reverse());
}

function stringList(value: PbxValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isDict(value: PbxValue | undefined): value is PbxDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
