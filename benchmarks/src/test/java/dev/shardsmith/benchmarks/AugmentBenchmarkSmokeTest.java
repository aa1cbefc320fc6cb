package dev.shardsmith.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code benchmarks/run augment} in miniature, so a change that breaks it fails the build: {@link
 * AugmentBenchmark} (in this JVM) and its Python peer run with no warm-up and one pass on three
 * 512x512 sample photos, and the harness's own {@code ratios.awk} turns their lines into {@code
 * RATIO} lines. Nothing here is timed: it checks that every row is produced and parsed.
 */
class AugmentBenchmarkSmokeTest {
  private static final Path BENCH = Path.of("").toAbsolutePath();
  private static final Path PHOTOS = BENCH.resolve("../sample-data/photos").normalize();
  private static final Pattern RESULT =
      Pattern.compile("RESULT\t([a-z_0-9]+)\t1\timg/s\t([0-9]+\\.[0-9])\t.+");

  @TempDir Path tmp;

  @Test
  void augmentBenchmarkRunsAndTheHarnessPrintsItsRatios() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("photos512"));
    for (String f : List.of("apple.jpg", "baboon.jpg", "orange.jpg")) {
      Files.copy(PHOTOS.resolve(f), data.resolve(f));
    }
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AugmentBenchmark.main(new String[] {data.toString(), "0", "1"});
    } finally {
      System.setOut(stdout);
    }
    String ours = captured.toString(StandardCharsets.UTF_8);
    List<String> rows = new ArrayList<>();
    for (String line : ours.split("\n")) {
      var m = RESULT.matcher(line);
      if (m.matches()) {
        rows.add(m.group(1));
        assertTrue(Double.parseDouble(m.group(2)) > 0, line);
      } else {
        assertTrue(line.startsWith("CHECK\taugment_chain\t"), "unexpected line: " + line);
      }
    }
    assertTrue(rows.contains("augment_chain"), ours);
    List<String> ops = rows.stream().filter(r -> r.startsWith("op_")).toList();
    assertTrue(ops.size() >= 5, "a row per op: " + rows);
    for (String op : ops) {
      assertTrue(rows.contains("plain_" + op), "the plain baseline of " + op + ": " + rows);
    }
    Path oursFile = tmp.resolve("augment.ours.out");
    Files.writeString(oursFile, ours);

    // the Python peer, when Debian's python3-opencv is there (CI requires it)
    Path peerFile = tmp.resolve("augment.peer.out");
    boolean python =
        Files.isExecutable(Path.of("/usr/bin/python3"))
            && run(List.of("/usr/bin/python3", "-c", "import cv2, numpy")).exit == 0;
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(python, "/usr/bin/python3 with cv2 and numpy needed");
    }
    Assumptions.assumeTrue(python, "/usr/bin/python3 with cv2 and numpy needed: skipped");
    Run peer =
        run(
            List.of(
                "/usr/bin/python3",
                BENCH.resolve("peers/augment.py").toString(),
                data.toString(),
                "0",
                "1"));
    assertEquals(0, peer.exit, peer.out);
    Files.writeString(peerFile, peer.out);

    Run ratios =
        run(
            List.of(
                "awk",
                "-F\t",
                "-f",
                BENCH.resolve("ratios.awk").toString(),
                oursFile.toString(),
                peerFile.toString()));
    assertEquals(0, ratios.exit, ratios.out);
    assertTrue(
        Pattern.compile("(?m)^RATIO augment_chain [0-9]+\\.[0-9]{2}$").matcher(ratios.out).find(),
        ratios.out);
    for (String op : ops) {
      assertTrue(
          Pattern.compile("(?m)^RATIO " + op + "_vs_plain [0-9]+\\.[0-9]{2}$")
              .matcher(ratios.out)
              .find(),
          op + ": " + ratios.out);
    }
    assertTrue(
        Pattern.compile("(?m)^check augment_chain +ours [0-9.]+ peer [0-9.]+")
            .matcher(ratios.out)
            .find(),
        ratios.out);
  }

  private record Run(int exit, String out) {}

  private static Run run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
    return new Run(p.exitValue(), out);
  }
}
