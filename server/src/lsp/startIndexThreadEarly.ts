import { tuneJitForIndexing } from '../catalog/pool/jitTuning';
import { startSpareIndexThread } from './indexThread';

// Imported first by the language server's entry (main.ts), so this runs before the rest of the server
// is loaded: the index thread loads its code meanwhile (see startSpareIndexThread). The V8 flags are the
// process's, shared by every thread: set before the first thread starts, so all of its code runs with them.
tuneJitForIndexing();
startSpareIndexThread();
