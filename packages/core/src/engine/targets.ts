/**
 * A source file compiled into several targets (an app and its extension, iOS and macOS apps sharing
 * code) is checked against each target's facts. The same finding from several targets is one finding;
 * one that holds for some of the file's targets only names them, so the reader knows where it applies.
 * Merging happens before suppressions and fingerprints, so a baseline keeps one entry per site
 * whatever the number of targets.
 */
import type { Finding } from '../types';
import type { TargetSettings } from './rule';
import type { ProjectFacts } from '../facts/project';

/** One target's view of the file: its build settings and its project facts. */
export interface TargetFacet {
  target: TargetSettings;
  project?: ProjectFacts;
}

/** A finding's identity across targets: the rule and the place (messages may name a target's own plist). */
function siteKey(f: Finding): string {
  return `${f.ruleId}\0${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`;
}

/**
 * Findings per facet (in facet order) merged into one list: the first facet's finding stands for the
 * site; when it does not hold for every facet, it names the targets it holds for.
 */
export function mergeTargetFindings(perFacet: Finding[][], facets: TargetFacet[]): Finding[] {
  const names = facets.map((f, i) => f.project?.target ?? `target ${i + 1}`);
  const bySite = new Map<string, { finding: Finding; targets: string[] }>();
  perFacet.forEach((findings, i) => {
    for (const finding of findings) {
      const key = siteKey(finding);
      const known = bySite.get(key);
      if (known) {
        if (!known.targets.includes(names[i]!)) known.targets.push(names[i]!);
      } else bySite.set(key, { finding, targets: [names[i]!] });
    }
  });
  const all = new Set(names);
  return [...bySite.values()].map(({ finding, targets }) => {
    if (targets.length === all.size) return finding;
    return { ...finding, targets, message: `${finding.message} (${targets.length === 1 ? 'target' : 'targets'} ${targets.join(', ')})` };
  });
}
