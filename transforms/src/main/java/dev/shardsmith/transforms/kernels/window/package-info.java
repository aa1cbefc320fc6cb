/**
 * Cutting time series into fixed-length windows, without Beam: the window spec a run resolves from
 * its config, timestamp parsing, missing-value imputation and the time-ordered split with a gap.
 */
package dev.shardsmith.transforms.kernels.window;
