/**
 * Image kernels: header parsing without decoding, validation and RGB decoding with EXIF
 * orientation, composable affine geometry, the preprocess and augment specs, and the fused one-warp
 * render. Plain static methods, no Beam class; every OpenCV {@code Mat} is closed by the method
 * that made it, except the one a decode returns, which its caller closes.
 */
package dev.shardsmith.transforms.kernels.image;
