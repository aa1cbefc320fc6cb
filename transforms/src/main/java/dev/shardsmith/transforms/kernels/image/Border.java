package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;

import dev.shardsmith.transforms.kernels.EnumKeys;
import java.util.List;

/**
 * What a geometric op shows where it reads outside its input frame: {@code constant} (the op's
 * {@code fill} gray level), {@code reflect} (mirror without repeating the edge pixel, OpenCV's
 * {@code BORDER_REFLECT_101}) or {@code replicate} (repeat the edge pixel).
 */
public enum Border {
  CONSTANT(BORDER_CONSTANT),
  REFLECT(BORDER_REFLECT_101),
  REPLICATE(BORDER_REPLICATE);

  private final int cv;

  Border(int cv) {
    this.cv = cv;
  }

  /** The OpenCV border flag. */
  public int cv() {
    return cv;
  }

  /**
   * The name in configs and applied records: {@code constant}, {@code reflect}, {@code replicate}.
   */
  public String key() {
    return EnumKeys.key(this);
  }

  /** The names, for error messages and config choices. */
  public static List<String> keys() {
    return EnumKeys.keys(Border.class);
  }

  /** The border named {@code key}; the error names {@code where} and the allowed values. */
  public static Border of(String where, String key) {
    return EnumKeys.of(Border.class, where, key);
  }
}
