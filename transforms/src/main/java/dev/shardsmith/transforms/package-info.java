/**
 * Reusable Beam transforms of Shardsmith. The algorithms live in {@code kernels}, which import no
 * Beam class; the transforms here only adapt them: read, call the kernel, count, route failures.
 */
package dev.shardsmith.transforms;
