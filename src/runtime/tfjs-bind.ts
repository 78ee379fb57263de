/**
 * Binds the tfjs the runtime loads for the node kinds (nodes/tfjs.ts), as this module loads. Every
 * runtime module that computes through the kinds or their host kernels imports it for that effect
 * (backend.ts, which every run goes through first; flat-adam.ts, used on its own by the optimizer).
 */
import * as tf from '@tensorflow/tfjs';
import { bindTfjs } from '../../nodes/tfjs';

bindTfjs(tf);
