package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every geometric op by name. A geometric op's map, size, border and interpolation depend only on
 * its recorded parameters, so an applied record's geometry is known without the config that drew it
 * (boxes and keypoints use this).
 */
public final class GeometricOps {
  private GeometricOps() {}

  private static final Map<String, GeometricOp> BY_NAME = new LinkedHashMap<>();

  static {
    for (GeometricOp op :
        List.<GeometricOp>of(
            Flip.horizontal(1),
            Flip.vertical(1),
            new Rotate90(1, 0, 3),
            new Rotate(1, 0, 0, Border.CONSTANT, 0),
            new AffineTransform(1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, Border.CONSTANT, 0),
            new Perspective(1, 0, 0),
            new RandomResizedCrop(1, 1, 1, 1, 1),
            new CenterCrop(1, 1, 1),
            new RandomCrop(1, 1, 1),
            new RoiCrop(1, 0, 0, 1, 1, true),
            new Pad(1, 0, 0, 0, 0, 0, 0, Border.CONSTANT, 0),
            new Resize(1, 1, 1, Interpolation.LINEAR),
            new PyrDown(1, 1))) {
      BY_NAME.put(op.name(), op);
    }
  }

  /** The names of the geometric ops. */
  public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

  /** An instance of the geometric op called {@code name}, or null when it is not one. */
  public static GeometricOp forName(String name) {
    return BY_NAME.get(name);
  }
}
