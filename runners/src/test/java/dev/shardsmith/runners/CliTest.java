package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.cli.ShardsmithCli;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI contract (DESIGN.md, Contracts): exit 0 on success; otherwise non-zero with a one-line
 * reason on stderr that names the key and the value for a bad config. Everything goes through
 * {@link ShardsmithCli#execute}; one real run (DirectRunner) is shared by the inspect tests.
 */
class CliTest {
  @TempDir static Path tmp;

  static Path finished;

  /** One CLI invocation: exit code, stdout and stderr. */
  record Result(int code, String out, String err) {
    /** stderr as its single line; fails if there is not exactly one. */
    String errLine() {
      String e = err.strip();
      assertFalse(e.isEmpty(), "expected a reason on stderr; stdout was: " + out);
      assertFalse(e.contains("\n"), "expected ONE line on stderr, got:\n" + e);
      return e;
    }
  }

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ShardsmithCli.execute(o, e, args);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String base() {
    return RunFixtures.configYaml("cli", "overwrite");
  }

  /** A config that differs from the base in one line; fails if {@code from} is not there. */
  static Path variant(String fileName, String from, String to) throws IOException {
    String yaml = base();
    assertTrue(yaml.contains(from), "base config has no " + from);
    return RunFixtures.writeConfig(tmp.resolve("configs"), fileName, yaml.replace(from, to));
  }

  @BeforeAll
  static void runOnce() throws Exception {
    Path config = RunFixtures.writeConfig(tmp.resolve("configs"), "cli.yaml", base());
    finished = tmp.resolve("finished");
    Result r = cli("run", "--config", config.toString(), "--output", finished.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(finished.resolve("manifest.json")));
  }

  @Test
  void validatePrintsTheConfigHashOfTheDemoConfig() {
    Path demo = RunFixtures.demoYaml();
    Result r = cli("validate", "--config", demo.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    String sha = RunConfig.load(demo).sha256();
    assertTrue(sha.matches("[0-9a-f]{64}"), sha);
    assertTrue(r.out().contains("config_sha256 " + sha), r.out());
  }

  @Test
  void unknownKeyIsNamed() throws Exception {
    Path f = variant("unknown.yaml", "  copies: 1\n", "  copies: 1\n  colour_jitter: 0.4\n");
    Result r = cli("validate", "--config", f.toString());
    assertEquals(2, r.code());
    String line = r.errLine();
    assertTrue(line.contains("augment.colour_jitter is not a known key"), line);
    assertTrue(line.contains("hflip"), "should say what augment takes: " + line);
  }

  @Test
  void wrongTypeNamesKeyAndValue() throws Exception {
    Path f = variant("type.yaml", "  shard_rows: 20\n", "  shard_rows: twenty\n");
    Result r = cli("validate", "--config", f.toString());
    assertEquals(2, r.code());
    String line = r.errLine();
    assertTrue(line.contains("output.shard_rows = \"twenty\" must be an integer"), line);
  }

  @Test
  void outOfRangeNamesKeyValueAndRange() throws Exception {
    Path f = variant("range.yaml", "rotate: {p: 0.5, limit: 10}", "rotate: {p: 1.5, limit: 10}");
    Result r = cli("validate", "--config", f.toString());
    assertEquals(2, r.code());
    String line = r.errLine();
    assertTrue(line.contains("augment.rotate.p = 1.5 is out of range"), line);
    assertTrue(line.contains("[0.0, 1.0]"), line);
  }

  @Test
  void fractionsNotSummingToOneNameEveryFractionAndTheSum() throws Exception {
    Path f = variant("fractions.yaml", "  val: 0.15\n", "  val: 0.2\n");
    Result r = cli("validate", "--config", f.toString());
    assertEquals(2, r.code());
    String line = r.errLine();
    for (String s : new String[] {"split.train", "0.7", "split.val", "0.2", "0.15", "1.05"}) {
      assertTrue(line.contains(s), "missing " + s + ": " + line);
    }
  }

  @Test
  void missingConfigOptionIsAUsageError() {
    for (String cmd : new String[] {"validate", "run"}) {
      Result r = cli(cmd);
      assertEquals(2, r.code(), cmd);
      assertTrue(r.errLine().contains("--config"), r.err());
    }
  }

  @Test
  void modeFailRefusesAFolderWithAManifestAndLeavesItAlone() throws Exception {
    Path target = tmp.resolve("taken");
    Files.createDirectories(target.resolve("train"));
    Files.writeString(target.resolve("manifest.json"), "{\"name\": \"earlier\"}");
    Files.writeString(target.resolve("train/part-00000-of-00001.parquet"), "earlier shard");
    SortedMap<String, String> before = RunFixtures.fileHashes(target);
    String manifestBefore = Files.readString(target.resolve("manifest.json"));
    Path f = variant("fail.yaml", "  mode: overwrite\n", "  mode: fail\n");

    Result r = cli("run", "--config", f.toString(), "--output", target.toString());

    assertEquals(2, r.code());
    assertTrue(r.errLine().contains("output.mode = fail"), r.err());
    assertTrue(r.errLine().contains(target.toString()), r.err());
    assertEquals(before, RunFixtures.fileHashes(target));
    assertEquals(manifestBefore, Files.readString(target.resolve("manifest.json")));
    try (Stream<Path> list = Files.list(target)) {
      assertEquals(2, list.count(), "run must not add files (no staging folder)");
    }
  }

  @Test
  void inspectAcceptsAFinishedRun() {
    Result r = cli("inspect", finished.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("inspect: ok"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void inspectNamesAShardWithOneFlippedByte() throws Exception {
    Path copy = copyTree(finished, tmp.resolve("flipped"));
    Manifest m = Manifest.read(copy.resolve("manifest.json"));
    String victim = m.shards().get(m.shards().size() / 2).path();
    Path file = copy.resolve(victim);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);

    Result r = cli("inspect", copy.toString());

    assertNotEquals(0, r.code());
    assertTrue(r.errLine().contains(victim), r.err());
    assertTrue(r.out().contains("MISMATCH " + victim), r.out());
    for (Manifest.ShardEntry e : m.shards()) {
      if (!e.path().equals(victim)) {
        assertFalse(r.out().contains("MISMATCH " + e.path()), "only " + victim + " was changed");
      }
    }
  }

  @Test
  void inspectRejectsAnEmptyFolder() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Result r = cli("inspect", empty.toString());
    assertNotEquals(0, r.code());
    assertTrue(r.errLine().contains("manifest.json"), r.err());
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }
}
