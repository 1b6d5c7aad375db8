// The app:// scheme must be registered before `ready`; as an import of the entry module this runs early enough.
import { electron } from './electron.js';

export const SCHEME = 'app';
export const ORIGIN = `${SCHEME}://pitwall`;

electron.protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
