import * as path from 'path';

export const FIXTURES = path.resolve(__dirname, '../../../fixtures/project-model');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}
