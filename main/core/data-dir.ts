import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the console keeps its database: the same folder Electron's app.getPath('userData') gives
 * for productName "Orgdesk", so `npm start` and `npm run web` open the same data.
 * ORGDESK_DATA_DIR overrides it (tests, several profiles).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ORGDESK_DATA_DIR) return env.ORGDESK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Orgdesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Orgdesk');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Orgdesk');
}
