import { startSpareIndexThread } from './indexThread';

// Imported first by the language server's entry (main.ts), so this runs before the rest of the server
// is loaded: the index thread loads its code meanwhile (see startSpareIndexThread).
startSpareIndexThread();
