package dev.shardsmith.transforms.kernels.shard;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * The Arrow IPC buffer codecs of our shards: LZ4 frame through lz4-java ({@link Lz4FrameCodec}),
 * everything else (zstd, through zstd-jni) from Arrow's {@link CommonsCompressionFactory}. Arrow's
 * own LZ4 frame codec is Apache Commons Compress's pure-Java one, which writes pixels at well under
 * 1 MiB/s.
 *
 * <p>{@code new ArrowFileReader(channel, allocator, ShardCompressionFactory.INSTANCE)}
 */
public final class ShardCompressionFactory implements CompressionCodec.Factory {
  public static final ShardCompressionFactory INSTANCE = new ShardCompressionFactory();

  private ShardCompressionFactory() {}

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
    if (codecType == CompressionUtil.CodecType.LZ4_FRAME) {
      return Lz4FrameCodec.INSTANCE;
    }
    return CommonsCompressionFactory.INSTANCE.createCodec(codecType);
  }

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
    if (codecType == CompressionUtil.CodecType.LZ4_FRAME) {
      return Lz4FrameCodec.INSTANCE;
    }
    return CommonsCompressionFactory.INSTANCE.createCodec(codecType, compressionLevel);
  }
}
