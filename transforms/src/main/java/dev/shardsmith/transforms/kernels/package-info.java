/**
 * Plain-Java kernels shared by every modality: seeded randomness, stable hashing, parameter checks
 * and enum names in configs.
 */
package dev.shardsmith.transforms.kernels;
