package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.image.ImageBackend;

/**
 * The {@code compute} section: {@code device} ({@code auto}, {@code cpu}, {@code opencl}), resolved
 * here, before any data is read, to the backend the run uses (recorded in the manifest and the
 * config hash). {@code opencl} without an OpenCL device is a config error.
 */
final class ComputeConfig {
  private ComputeConfig() {}

  static RunConfig.Compute parse(Section c) {
    String device = c.choice("device", "auto", ImageBackend.DEVICES);
    c.finish();
    try {
      return new RunConfig.Compute(device, ImageBackend.resolve(device).id());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
