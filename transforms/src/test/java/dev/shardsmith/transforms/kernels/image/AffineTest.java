package dev.shardsmith.transforms.kernels.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void homographiesMapQuadsComposeAndInvert() {
    double[] quad = {10, 5, 90, 8, 95, 45, 3, 40};
    double[] frame = {0, 0, 100, 0, 100, 50, 0, 50};
    Affine h = Affine.quadToQuad(quad, frame);
    assertFalse(h.isAffine());
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(
          new double[] {frame[2 * i], frame[2 * i + 1]},
          h.apply(quad[2 * i], quad[2 * i + 1]),
          1e-9);
    }
    // composed with an affine on either side, then inverted: back to the start
    Affine m = Affine.scale(2, 3).then(h).then(Affine.rotateDegrees(20, 50, 25));
    double[] p = m.apply(17, 9);
    assertArrayEquals(new double[] {17, 9}, m.inverse().apply(p[0], p[1]), 1e-9);
    assertArrayEquals(Affine.identity().toArray9(), h.then(h.inverse()).toArray9(), 1e-9);
    assertTrue(
        h.then(h.inverse()).isAffine() || Math.abs(h.then(h.inverse()).toArray9()[6]) < 1e-12);
    IllegalStateException e = assertThrows(IllegalStateException.class, h::toArray);
    assertTrue(e.getMessage().contains("toArray9"), e.getMessage());
    // a quad with three points on a line has no homography
    assertThrows(
        IllegalArgumentException.class,
        () -> Affine.quadToQuad(new double[] {0, 0, 1, 1, 2, 2, 0, 5}, frame));
  }

  @Test
  void shearAndLocalScaleOfAHomography() {
    Affine s = Affine.shearDegrees(45, 0, 0, 10);
    assertArrayEquals(new double[] {5, 15}, s.apply(0, 15), 1e-12);
    // a projective map whose stretch varies from 0.25 (at the origin) to 1.14 (at the far corner):
    // the largest is read at the corners (numpy finite differences give 1.1441)
    Affine h =
        Affine.quadToQuad(
            new double[] {0, 0, 100, 0, 100, 100, 0, 100},
            new double[] {0, 0, 50, 0, 50, 50, 0, 25});
    assertEquals(1.1441, h.maxScaleOver(100, 100), 1e-4);
  }
}
