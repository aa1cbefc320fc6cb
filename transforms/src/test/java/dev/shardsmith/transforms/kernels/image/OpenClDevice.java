package dev.shardsmith.transforms.kernels.image;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device the parity tests run on: PoCL on the CPU in CI ({@code pocl-opencl-icd}, picked
 * by {@code OPENCV_OPENCL_DEVICE=:CPU:} in the Surefire configuration). Without one the tests are
 * skipped with a message; where {@code SHARDSMITH_REQUIRE_PEERS} is set (CI) they fail instead.
 */
public final class OpenClDevice {
  private OpenClDevice() {}

  /** The device's description; skips or fails the calling test when there is none. */
  public static String require() {
    String d = ImageBackend.describeDevice();
    if (d == null) {
      String message =
          "no OpenCL device for the cpu/opencl parity tests: install pocl-opencl-icd (Debian)"
              + " and keep OPENCV_OPENCL_RUNTIME/OPENCV_OPENCL_DEVICE as the transforms pom sets"
              + " them";
      if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
        Assertions.fail(message + " (SHARDSMITH_REQUIRE_PEERS is set)");
      }
      Assumptions.assumeTrue(false, message);
    }
    return d;
  }
}
