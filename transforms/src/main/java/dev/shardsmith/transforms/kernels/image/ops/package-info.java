/**
 * Pixel-only augmentation ops (photometric, blur and noise, occlusion, re-compression) as plain
 * Java kernels over 8-bit RGB OpenCV {@code Mat}s. Each op is an immutable record of validated
 * ranges that {@linkplain PixelOp#draw draws} concrete parameters from a seeded stream and
 * {@linkplain PixelOp#apply applies} them; the drawn parameters alone rebuild the output, so {@link
 * dev.shardsmith.transforms.kernels.image.ops.PixelOps#replay} reproduces any recorded row. No Beam
 * here; geometry lives in the fused warp of {@code ImageFusion}.
 */
package dev.shardsmith.transforms.kernels.image.ops;
