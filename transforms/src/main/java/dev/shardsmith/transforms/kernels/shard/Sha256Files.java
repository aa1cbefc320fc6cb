package dev.shardsmith.transforms.kernels.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hex sha256 of a file's bytes, read in a streaming pass (bounded memory, any file size). The one
 * place shard code hashes files, so the manifest and {@code inspect} agree on the format: 64
 * lower-case hex digits.
 *
 * <p>{@code String hex = Sha256Files.of(Path.of("OUT/train/part-00000-of-00004.parquet"));}
 */
public final class Sha256Files {
  private static final int BUFFER = 1 << 16;

  private Sha256Files() {}

  /** The lower-case hex sha256 of {@code file}'s contents. */
  public static String of(Path file) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buf = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        digest.update(buf, 0, n);
      }
    }
    return hex(digest);
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
