/**
 * Grouping and split assignment as plain Java: the connected groups of shared user groups and
 * payload hashes, and the exact stratified group split of DESIGN.md.
 */
package dev.shardsmith.transforms.kernels.split;
