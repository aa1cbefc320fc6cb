package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Shared by the end-to-end tests: a small config over the committed Fashion-MNIST sample (270 good
 * images, 5 damaged, 1 duplicate), and an independent sha256 listing of a written output folder.
 */
final class RunFixtures {
  private RunFixtures() {}

  /** Files in sample-data/fashion-mnist (README): 270 good, 5 damaged, 1 duplicate. */
  static final long SOURCE_FILES = 276;

  static final long DAMAGED_FILES = 5;

  /** Rows per shard in the test config: small, so every split has several shards. */
  static final int SHARD_ROWS = 20;

  /** The committed sample tree; Surefire runs in runners/, so it is one folder up. */
  static Path fashionMnist() {
    Path p = Path.of("..", "sample-data", "fashion-mnist").toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(p.resolve("coat")), "sample data not found at " + p);
    return p;
  }

  static Path demoYaml() {
    Path p = Path.of("..", "sample-data", "demo.yaml").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(p), "demo config not found at " + p);
    return p;
  }

  /** The test config as YAML text: copies 1, every geometric op and two pixel ops with p > 0. */
  static String configYaml(String name, String mode) {
    return String.join(
        "\n",
        "name: " + name,
        "seed: 7",
        "input:",
        "  kind: images",
        "  root: \"" + fashionMnist() + "\"",
        "quality:",
        "  min_width: 16",
        "  min_height: 16",
        "  max_pixels: 50000000",
        "split:",
        "  mode: exact",
        "  train: 0.7",
        "  val: 0.15",
        "  test: 0.15",
        "preprocess:",
        "  resize: 32",
        "  crop: 28",
        "augment:",
        "  enabled: true",
        "  copies: 1",
        "  include_original: true",
        "  hflip: {p: 0.5}",
        "  rotate: {p: 0.5, limit: 10}",
        "  random_resized_crop: {p: 0.5, scale: [0.7, 1.0], ratio: [0.75, 1.3333]}",
        "  ops: [{op: brightness_contrast, p: 0.5}, {op: gaussian_noise, p: 0.5}]",
        "compute:",
        "  device: auto",
        "output:",
        "  formats: [parquet, arrow, npy]",
        "  shard_rows: " + SHARD_ROWS,
        "  parquet: {compression: zstd}",
        "  mode: " + mode,
        "");
  }

  static Path writeConfig(Path dir, String fileName, String yaml) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName);
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Every regular file under {@code out} except {@code manifest.json}, as relative path (with '/')
   * to sha256, computed here rather than with the project's own hashing.
   */
  static SortedMap<String, String> fileHashes(Path out) throws IOException {
    SortedMap<String, String> m = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(p).toString().replace('\\', '/');
        if (!rel.equals("manifest.json")) {
          m.put(rel, sha256(p));
        }
      }
    }
    return m;
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** manifest.json as a JSON tree without the run metadata ({@code run}, {@code runner}). */
  static ObjectNode manifestWithoutRunMetadata(Path out) throws IOException {
    ObjectNode n = (ObjectNode) new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    n.remove("run");
    n.remove("runner");
    return n;
  }
}
