/**
 * Order-independent statistics for the {@code normalize} stage: exact sums of doubles, mergeable
 * float32 histograms for medians, categorical counts and uint8 channel sums. Every accumulator
 * gives bitwise-identical results for any partition of its input and any merge order (DESIGN.md
 * invariant 1); the fitted model applies imputation, scaling and PCA to one feature vector.
 */
package dev.shardsmith.transforms.kernels.stats;
