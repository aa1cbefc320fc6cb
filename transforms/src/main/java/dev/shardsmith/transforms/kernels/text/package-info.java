/**
 * Text augmentation kernels, without Beam: a lossless {@link
 * dev.shardsmith.transforms.kernels.text.Tokenizer}, token {@link
 * dev.shardsmith.transforms.kernels.text.Protection}, WordNet tables ({@link
 * dev.shardsmith.transforms.kernels.text.WordNet}), the EDA ops, synonym replacement and rule-based
 * paraphrase, composed by {@link dev.shardsmith.transforms.kernels.text.TextAugmentSpec}.
 */
package dev.shardsmith.transforms.kernels.text;
