package dev.shardsmith.transforms.kernels.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One decode serves an original and its copies, and every row still replays byte for byte. */
class ImageFusionBatchTest {
  @Test
  void rowsOfOneImageShareOneDecodeAndReplayExactly() throws Exception {
    byte[] bytes = TestImages.bytes("baboon.jpg");
    ImageHeader h = ImageHeaders.read(bytes, 100_000_000L);
    PreprocessSpec pre = new PreprocessSpec(128, 112, 112); // 4x shrink: reduced decode
    AugmentSpec aug = new AugmentSpec(0.5, 1.0, 20, 1.0, 0.08, 0.2, 0.75, 1.33); // zooms in
    List<Applied> draws = new ArrayList<>();
    draws.add(ImageFusion.draw(h, pre, aug, 3, "b", Sample.ORIGINAL));
    for (int c = 0; c < 4; c++) {
      draws.add(ImageFusion.draw(h, pre, aug, 3, "b", c));
    }
    int smallest = Integer.MAX_VALUE;
    for (Applied a : draws) {
      smallest = Math.min(smallest, ImageFusion.reductionFor(h, ImageFusion.geometry(h, pre, a)));
    }
    assertEquals(4, ImageFusion.reductionFor(h, ImageFusion.geometry(h, pre, draws.get(0))));
    List<ImageFusion.Rendered> rows = ImageFusion.renderAll(bytes, h, pre, draws);
    assertEquals(5, rows.size());
    for (ImageFusion.Rendered r : rows) {
      Applied.Op preprocess = r.applied().ops().get(0);
      assertEquals(smallest, (int) preprocess.number(ImageFusion.DECODE_REDUCTION, -1));
      assertArrayEquals(r.rgb(), ImageFusion.replay(bytes, h, pre, r.applied()).rgb());
    }
    // A single render chooses its own (coarser) reduction and records it too.
    ImageFusion.Rendered alone = ImageFusion.render(bytes, h, pre, aug, 3, "b", Sample.ORIGINAL);
    assertEquals(4, (int) alone.applied().ops().get(0).number(ImageFusion.DECODE_REDUCTION, -1));
  }
}
