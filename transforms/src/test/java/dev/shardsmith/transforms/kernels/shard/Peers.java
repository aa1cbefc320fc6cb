package dev.shardsmith.transforms.kernels.shard;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The independent readers (numpy, Node's apache-arrow) are outside the JVM. On a developer machine
 * without them their tests are skipped with a message; where {@code SHARDSMITH_REQUIRE_PEERS} is
 * set (CI sets it after installing them) a missing reader fails the test instead.
 */
public final class Peers {
  private Peers() {}

  public static void require(boolean available, String message) {
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      Assertions.assertTrue(available, message + " (SHARDSMITH_REQUIRE_PEERS is set)");
    } else {
      Assumptions.assumeTrue(available, message);
    }
  }
}
