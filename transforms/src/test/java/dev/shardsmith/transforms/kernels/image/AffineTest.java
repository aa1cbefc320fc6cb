package dev.shardsmith.transforms.kernels.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AffineTest {
  @Test
  void thenAppliesThisFirst() {
    Affine m = Affine.scale(2, 3).then(Affine.translate(10, 20));
    assertArrayEquals(new double[] {12, 23}, m.apply(1, 1), 1e-12);
    Affine n = Affine.translate(10, 20).then(Affine.scale(2, 3));
    assertArrayEquals(new double[] {22, 63}, n.apply(1, 1), 1e-12);
  }

  @Test
  void inverseUndoesTheMap() {
    Affine m =
        Affine.rotateDegrees(33, 50, 40).then(Affine.scale(0.5, 0.7)).then(Affine.hflip(100));
    double[] p = m.inverse().apply(m.apply(12.5, -7)[0], m.apply(12.5, -7)[1]);
    assertArrayEquals(new double[] {12.5, -7}, p, 1e-9);
  }

  @Test
  void rotationMatchesOpenCvConventionAndKeepsItsCentre() {
    Affine r = Affine.rotateDegrees(90, 10, 10);
    assertArrayEquals(new double[] {10, 10}, r.apply(10, 10), 1e-12);
    // positive = counter-clockwise on screen: the point right of the centre goes up (y smaller)
    assertArrayEquals(new double[] {10, 5}, r.apply(15, 10), 1e-12);
  }

  @Test
  void hflipIsAnInvolution() {
    Affine f = Affine.hflip(64).then(Affine.hflip(64));
    assertArrayEquals(Affine.identity().toArray(), f.toArray(), 1e-12);
    assertArrayEquals(new double[] {54, 3}, Affine.hflip(64).apply(10, 3), 1e-12);
  }

  @Test
  void singularValuesMeasureShrink() {
    Affine m = Affine.scale(0.5, 0.25).then(Affine.rotateDegrees(30, 0, 0));
    assertEquals(0.25, m.minScale(), 1e-12);
    assertEquals(0.5, m.maxScale(), 1e-12);
    assertEquals(1, Affine.rotateDegrees(17, 3, 4).minScale(), 1e-12);
  }
}
