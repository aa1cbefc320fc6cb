/**
 * Augmentation ops as plain Java kernels over 8-bit RGB OpenCV {@code Mat}s: pixel ops
 * (photometric, blur and noise, occlusion, re-compression, downscale, edges), geometric ops ({@link
 * dev.shardsmith.transforms.kernels.image.ops.GeometricOp}: flips, rotations, affine, perspective,
 * crops, pad, resize, pyramid) whose plane map {@code ImageFusion} fuses into one warp, and
 * compositions ({@link dev.shardsmith.transforms.kernels.image.ops.Composition}: sequence, one_of,
 * some_of) that {@link dev.shardsmith.transforms.kernels.image.ops.Compositions} expands. Each op
 * is an immutable record of validated ranges that {@linkplain PixelOp#draw draws} concrete
 * parameters from a seeded stream and {@linkplain PixelOp#apply applies} them; the drawn parameters
 * alone rebuild the output, so {@link dev.shardsmith.transforms.kernels.image.ops.PixelOps#replay}
 * reproduces any recorded row. No Beam here.
 */
package dev.shardsmith.transforms.kernels.image.ops;
