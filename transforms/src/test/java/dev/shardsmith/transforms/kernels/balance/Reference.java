package dev.shardsmith.transforms.kernels.balance;

import java.io.IOException;
import java.io.InputStream;
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
 * The reference implementations (Debian's python3-sklearn and python3-imblearn, run by {@code
 * /usr/bin/python3}) and the committed letters subsets. Without the reference the tests that need
 * it are skipped with a message (public for the Beam-level tests in {@code transforms}); where
 * {@code SHARDSMITH_REQUIRE_PEERS} is set they fail instead.
 */
public final class Reference {
  private Reference() {}

  public static final String PYTHON = "/usr/bin/python3";

  /** Letters rows: labels 0 = A, 1 = B, ...; 16 integer features as float32. */
  public static LabeledRows letters(String name) throws IOException {
    List<String> lines = Files.readAllLines(resource("letters/" + name));
    int n = 0;
    for (String l : lines) {
      n += l.isBlank() ? 0 : 1;
    }
    int d = 16;
    float[] x = new float[n * d];
    int[] y = new int[n];
    int i = 0;
    for (String l : lines) {
      if (l.isBlank()) {
        continue;
      }
      String[] parts = l.trim().split(",");
      y[i] = parts[0].charAt(0) - 'A';
      for (int t = 0; t < d; t++) {
        x[i * d + t] = Float.parseFloat(parts[t + 1]);
      }
      i++;
    }
    return LabeledRows.of(x, n, d, y);
  }

  public static Path resource(String name) {
    try {
      return Path.of(Reference.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Skips (or, with SHARDSMITH_REQUIRE_PEERS, fails) unless sklearn and imblearn import. */
  public static void require() {
    boolean ok;
    String why;
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import numpy, sklearn, imblearn")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
      why = out.trim();
    } catch (IOException e) {
      ok = false;
      why = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String message =
        PYTHON + " with numpy, scikit-learn and imbalanced-learn is needed (" + why + ")";
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      Assertions.assertTrue(ok, message + " (SHARDSMITH_REQUIRE_PEERS is set)");
    } else {
      Assumptions.assumeTrue(ok, message);
    }
  }

  /** Runs reference.py with {@code args} and returns its stdout lines; fails on a non-zero exit. */
  public static List<String> run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.add(resource("balance/reference.py").toString());
    for (String a : args) {
      cmd.add(a);
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new ArrayList<>();
    try (InputStream in = p.getInputStream()) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.isBlank()) {
          lines.add(l.trim());
        }
      }
    }
    Assertions.assertTrue(p.waitFor(300, TimeUnit.SECONDS), "reference.py timed out: " + cmd);
    Assertions.assertEquals(0, p.exitValue(), "reference.py failed: " + cmd);
    return lines;
  }
}
