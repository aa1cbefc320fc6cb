package dev.shardsmith.transforms.kernels.shard;

import java.util.List;

/**
 * One image row as our readers return it, whatever the shard format. {@code format} is {@code raw}
 * for the fixed-shape layout (pixels {@code height x width x channels}), else the encoding. Arrays
 * are compared by identity in {@code equals}.
 */
public record ShardRow(
    String id,
    String split,
    int fold,
    int label,
    String labelName,
    List<Integer> labels,
    byte[] image,
    String format,
    int height,
    int width,
    int channels,
    String applied) {}
