/**
 * Grouping and split assignment as plain Java: the connected groups of shared user groups and
 * payload hashes, and the {@code exact} and {@code stable} group splits of DESIGN.md with folds and
 * frozen samples ({@link dev.shardsmith.transforms.kernels.split.GroupSplit}).
 */
package dev.shardsmith.transforms.kernels.split;
