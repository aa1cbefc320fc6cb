/**
 * Rebalancing kernels as plain Java: exact k-nearest-neighbour search as a blocked brute force on
 * OpenBLAS {@code sgemm} with a double-precision re-rank ({@link
 * dev.shardsmith.transforms.kernels.balance.NearestNeighbors}), and the SMOTE family with
 * imbalanced-learn's semantics: {@link dev.shardsmith.transforms.kernels.balance.Smote}, {@link
 * dev.shardsmith.transforms.kernels.balance.BorderlineSmote}, {@link
 * dev.shardsmith.transforms.kernels.balance.Adasyn} and {@link
 * dev.shardsmith.transforms.kernels.balance.SmoteNc}. Every draw comes from {@code Seeds}; every
 * synthetic row records both parents and its interpolation step. Memory per class, and for the
 * cross-class search, is documented on each class (DESIGN.md invariant 6).
 */
package dev.shardsmith.transforms.kernels.balance;
