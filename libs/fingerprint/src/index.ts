// Public API of the fingerprint library: text fingerprints (MinHash + LSH
// band keys, containment, winnowing passages) and image fingerprints
// (pHash global/mirror/region hashes, multi-index hashing keys). Pure
// functions; storage and queueing live elsewhere.

export { normalizeText, toOriginalRange, type NormalizedText } from './text/normalize-text.js';
export {
  AMBIGUOUS_RATIO,
  CHAR_SCHEME_RATIO,
  chooseScheme,
  detectScheme,
  noSpaceScriptRatio,
  tokenize,
  type TextScheme,
  type TokenSequence,
} from './text/tokenize.js';
export { SHINGLE_SIZE, shingleSet } from './text/shingles.js';
export {
  EMPTY_SLOT,
  MINHASH_SIZE,
  estimateJaccard,
  isEmptySignature,
  minhashSignature,
  signatureFromHex,
  signatureToHex,
} from './text/minhash.js';
export { DEFAULT_LSH, lshBandKeys, lshCatchProbability, type LshParams } from './text/lsh.js';
export { WINNOW_PARAMS, winnow, type WinnowOptions, type WinnowParams, type WinnowPrint } from './text/winnow.js';
export { matchPassages, type Passage, type PassageOptions } from './text/passages.js';
export {
  TEXT_THRESHOLDS,
  compareTexts,
  containment,
  estimateFingerprintJaccard,
  isTextMatch,
  textFingerprint,
  type SchemeSignature,
  type TextComparison,
  type TextFingerprint,
} from './text/text-fingerprint.js';

export { hammingDistance } from './image/hamming.js';
export {
  CENTRE_REGION,
  GRID80_REGIONS,
  GRID_NEIGHBOURS,
  GRID_REGIONS,
  MIN_CONTRAST,
  REGION_LAYOUT,
  ROTATED_REGIONS,
  ROTATION_ANGLES,
  imageFingerprint,
  prepareImage,
  type ImageFingerprint,
  type PreparedImage,
  type RegionKind,
  type RegionSpec,
} from './image/image-fingerprint.js';
export { checkRegion, checkWindows, type RegionCheck, type RegionSlot } from './image/region-check.js';
export { alignPair, alignWindow, type AlignedPair, type AlignedWindow } from './image/align-window.js';
export {
  IMAGE_THRESHOLDS,
  compareImages,
  imageDistances,
  imageScore,
  isImageMatch,
  nearGridPair,
  thresholdOf,
  type ImageComparison,
  type ImageDistances,
  type ImageMatchMethod,
  type ImageThresholds,
  type RegionPair,
} from './image/compare-images.js';
export { chunkValues, guaranteedDistance, hashChunks, multiProbeKeys, probeKeys, radiusFor, type WeakProbe } from './image/hash-chunks.js';
