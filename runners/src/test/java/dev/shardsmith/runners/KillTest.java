package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.Inspect;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md invariant 5 under SIGKILL: a separate JVM runs the CLI into a folder that already holds
 * a finished dataset and is killed at several points while it works. After every kill either no
 * manifest exists or the dataset that the manifest describes verifies completely; and a rerun
 * writes exactly the files of an undisturbed run.
 */
class KillTest {
  @TempDir static Path tmp;
  static Path config;
  static SortedMap<String, String> reference;

  @BeforeAll
  static void referenceRun() throws Exception {
    config = RunFixtures.writeConfig(tmp, "kill.yaml", RunFixtures.configYaml("kill", "overwrite"));
    Path ref = tmp.resolve("reference");
    assertEquals(0, launch(ref).waitFor(), "the reference run");
    reference = RunFixtures.fileHashes(ref);
  }

  /** The CLI in a child JVM, on this test's classpath, with the launcher's flags. */
  static Process launch(Path out) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/java.util=ALL-UNNAMED");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("run", "--config", config.toString(), "--output", out.toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(out.getFileName() + ".log").toFile())
        .start();
  }

  private static boolean anyFile(Path dir, Predicate<String> name) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(p -> name.test(dir.relativize(p).toString()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false; // the tree is changing under us; look again
    }
  }

  /**
   * Kills a run over an existing dataset when {@code moment} first holds, then checks the folder.
   */
  private void killWhen(String name, Predicate<Path> moment) throws Exception {
    Path out = tmp.resolve(name);
    assertEquals(0, launch(out).waitFor(), "the dataset that the killed run replaces");
    Process p = launch(out);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (p.isAlive() && !moment.test(out) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    p.destroyForcibly().waitFor(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
    if (Files.exists(out.resolve("manifest.json"))) {
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      assertTrue(Inspect.run(out, quiet), name + ": a manifest exists, so its dataset must verify");
    }
    assertEquals(0, launch(out).waitFor(), name + ": the rerun");
    assertEquals(reference, RunFixtures.fileHashes(out), name + ": the rerun's files");
    try (Stream<Path> s = Files.list(out)) {
      assertFalse(
          s.anyMatch(f -> f.getFileName().toString().startsWith(".staging-")),
          "the rerun removed the killed run's staging folder");
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @Test
  void killedAsSoonAsItStarts() throws Exception {
    killWhen("start", out -> !Files.exists(out.resolve("manifest.json")));
  }

  @Test
  void killedWhileShardsAreWritten() throws Exception {
    killWhen(
        "writing", out -> anyFile(out, n -> n.startsWith(".staging-") && n.endsWith(".parquet")));
  }

  @Test
  void killedWhenThePipelineFinishes() throws Exception {
    killWhen("committing", out -> anyFile(out, n -> n.endsWith("_meta/shards.jsonl")));
  }
}
