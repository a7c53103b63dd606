// Worker threads start without the parent's TypeScript loader: register tsx, then load the entry.
import { register } from 'tsx/esm/api';

register();
await import('./nodeWorker.ts');
