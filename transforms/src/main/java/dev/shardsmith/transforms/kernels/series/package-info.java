/**
 * Time-series augmentation ops as plain Java kernels over one window of {@code T x C} float32
 * values (row-major, time first, as in {@code SeriesPayload}) and an optional forecast horizon of
 * {@code H x C}: jitter, scaling, magnitude warp, time warp, window slice, window warp, shift,
 * drift, dropout and permutation of segments. Each op is an immutable record of validated ranges
 * that {@linkplain SeriesOp#draw draws} concrete parameters from a seeded stream and {@linkplain
 * SeriesOp#apply applies} them; the drawn parameters alone rebuild the output, so {@link
 * SeriesOps#replay} reproduces any recorded copy. Amplitude ops (scaling, drift, magnitude warp)
 * change window and horizon consistently; every other op changes the window only. Normal draws come
 * from the counter-based ziggurat in {@link Gaussians}. {@link Spawner} mixes two windows of one
 * class (for balancing). No Beam here.
 */
package dev.shardsmith.transforms.kernels.series;
