import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRootOf } from '../src/project-context';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-root-'));
  fs.mkdirSync(path.join(dir, 'marked/App.xcodeproj'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'marked/App/Sources'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'plain/App/Sources'), { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the folder with the Xcode project, whatever the working folder', () => {
  const file = path.join(dir, 'marked/App/Sources/A.swift');
  expect(projectRootOf(file, path.join(dir, 'marked/App'))).toBe(path.join(dir, 'marked'));
});

test('without a marker: the working folder when the file is inside it, never the file system root', () => {
  const file = path.join(dir, 'plain/App/Sources/A.swift');
  expect(projectRootOf(file, path.join(dir, 'plain'))).toBe(path.join(dir, 'plain'));
  expect(projectRootOf(file, path.join(dir, 'marked'))).toBe(path.join(dir, 'plain/App/Sources'));
});
