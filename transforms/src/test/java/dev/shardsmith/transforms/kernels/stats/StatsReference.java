package dev.shardsmith.transforms.kernels.stats;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * numpy and scikit-learn (Debian's, run by {@code /usr/bin/python3}) through {@code
 * stats/reference.py}, and the committed letters data. Without them the tests that need them are
 * skipped; with {@code SHARDSMITH_REQUIRE_PEERS} set they fail instead.
 */
final class StatsReference {
  private StatsReference() {}

  static final String PYTHON = "/usr/bin/python3";

  static Path resource(String name) {
    try {
      return Path.of(StatsReference.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Letters rows as float32 feature vectors (16 integer features each). */
  static List<float[]> letters(String name) throws IOException {
    List<float[]> out = new ArrayList<>();
    for (String l : Files.readAllLines(resource("letters/" + name))) {
      if (l.isBlank()) {
        continue;
      }
      String[] parts = l.trim().split(",");
      float[] x = new float[parts.length - 1];
      for (int t = 0; t < x.length; t++) {
        x[t] = Float.parseFloat(parts[t + 1]);
      }
      out.add(x);
    }
    return out;
  }

  static void require() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(PYTHON, "-c", "import numpy, sklearn").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    String message = PYTHON + " with numpy and scikit-learn is needed (" + out.trim() + ")";
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      Assertions.assertTrue(ok, message);
    } else {
      Assumptions.assumeTrue(ok, message);
    }
  }

  /** Runs reference.py; each stdout line split into doubles. */
  static List<double[]> run(String... args) throws IOException, InterruptedException {
    require();
    List<String> cmd = new ArrayList<>(List.of(PYTHON, resource("stats/reference.py").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assertions.assertTrue(p.waitFor(300, TimeUnit.SECONDS), "reference.py timed out: " + cmd);
    Assertions.assertEquals(0, p.exitValue(), "reference.py failed: " + cmd);
    List<double[]> rows = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (l.isBlank()) {
        continue;
      }
      String[] f = l.trim().split(" ");
      double[] r = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        r[i] = Double.parseDouble(f[i]);
      }
      rows.add(r);
    }
    return rows;
  }
}
