/** file:// URIs and paths, as editors send them (percent-encoded, drive letters on Windows). */
import { fileURLToPath, pathToFileURL } from 'node:url';

export const URI = {
  toPath(uri: string): string | undefined {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  },
  fromPath(file: string): string {
    return pathToFileURL(file).href;
  },
};
