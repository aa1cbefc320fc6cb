package dev.shardsmith.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Checks the pass accounting of {@link PassTimer}, not any timing. */
class PassTimerTest {

  @Test
  void runsWarmupThenTimedPasses() {
    AtomicInteger calls = new AtomicInteger();
    double rate = PassTimer.medianRate(2, 3, 10, calls::incrementAndGet);
    assertEquals(5, calls.get());
    assertTrue(rate > 0, "rate was " + rate);
  }

  @Test
  void rejectsNoTimedPass() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PassTimer.medianRate(0, 0, 1, () -> 0));
    assertEquals("passes must be >= 1, but was 0", e.getMessage());
  }

  @Test
  void resultLineIsTabSeparatedWithOneDecimal() {
    assertEquals(
        "RESULT\tdecode\t1\timg/s\t1234.6\tJavaCV x",
        ResultLine.result("decode", 1, "img/s", 1234.56, "JavaCV x"));
  }
}
