// Entry of the IIFE build (`matrix-os.js`): a plain <script> gets `window.MatrixOS`, as apps written
// for the public Matrix OS expect.
import { getMatrixOS } from './matrix-os.ts';

getMatrixOS();
