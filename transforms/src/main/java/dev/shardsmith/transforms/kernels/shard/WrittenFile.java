package dev.shardsmith.transforms.kernels.shard;

/**
 * One file a {@link ShardSink} wrote: its name inside the split folder, its format, its first
 * dimension ({@code rows}; for a {@code meta.json}, the shard's rows), its size and sha256 (null
 * when the sink's options turned hashing off).
 */
public record WrittenFile(String name, String format, long rows, long bytes, String sha256) {}
