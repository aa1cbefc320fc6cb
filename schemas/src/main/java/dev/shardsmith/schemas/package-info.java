/**
 * The data contract of Shardsmith: the sample record shared by every modality, its payloads, the
 * rejection record, the label map, the counting model of invariant 3 and the manifest model.
 *
 * <p>Everything here is plain Java plus Beam coders; nothing depends on a runner or on OpenCV.
 */
package dev.shardsmith.schemas;
