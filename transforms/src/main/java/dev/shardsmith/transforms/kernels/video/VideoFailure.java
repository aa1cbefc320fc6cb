package dev.shardsmith.transforms.kernels.video;

import java.io.Serializable;

/**
 * Something in a video that did not decode: the presentation timestamp (microseconds) and frame
 * index where it was met, a short reason ({@code decode_error}, {@code truncated}) and FFmpeg's
 * message.
 */
public record VideoFailure(long ptsMicros, long frameIndex, String reason, String message)
    implements Serializable {}
