package dev.shardsmith.transforms.kernels;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md pins OpenBLAS 0.3.31-1.5.13 under JavaCV 1.5.14 (the matching 0.3.34 is not served
 * here): it loads with a version warning. This keeps a LAPACK-backed OpenCV call honest.
 */
class OpenCvLapackTest {
  @Test
  void svdOfAKnownMatrix() {
    // [[3, 0], [4, 5]] has singular values 3*sqrt(5) and sqrt(5).
    try (Mat a = new Mat(2, 2, CV_64F);
        Mat w = new Mat();
        Mat u = new Mat();
        Mat vt = new Mat()) {
      DoubleIndexer ai = a.createIndexer();
      ai.put(0, 0, 3).put(0, 1, 0).put(1, 0, 4).put(1, 1, 5);
      opencv_core.SVDecomp(a, w, u, vt);
      DoubleIndexer wi = w.createIndexer();
      assertEquals(3 * Math.sqrt(5), wi.get(0, 0), 1e-12);
      assertEquals(Math.sqrt(5), wi.get(1, 0), 1e-12);
    }
  }
}
