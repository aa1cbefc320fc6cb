/** Plain-Java kernels shared by every modality: seeded randomness and stable hashing. */
package dev.shardsmith.transforms.kernels;
