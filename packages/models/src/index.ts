/**
 * The architecture zoo: feed-forward, CNNs, ResNet, U-Net, recurrent, transformers, GANs, autoencoders; decoding and transfer learning.
 *
 * @packageDocumentation
 */
// Transfer learning and CNNs (issue 10, part A).
export { BackboneModel, resolveBackbone } from './transfer/backbone-model.js';
export type { BackboneConfig, BackboneParts, Pooling, ResolvedBackbone } from './transfer/backbone-model.js';
export { LeNet5, lenet5Relu } from './cnn/lenet5.js';
export type { LeNet5Config } from './cnn/lenet5.js';
export { ResNet } from './cnn/resnet.js';
export type { ResNetConfig } from './cnn/resnet.js';
export { resnet18 } from './cnn/resnet18.js';
export { resnet34 } from './cnn/resnet34.js';
export { resnet50 } from './cnn/resnet50.js';
export { CifarResNet, resnet20, resnet32, resnet56 } from './cnn/cifar-resnet.js';
export type { CifarResNetConfig } from './cnn/cifar-resnet.js';
export type { Shortcut } from './cnn/shortcut.js';
export { VGG, VGG_LAYOUTS, vgg11, vgg16 } from './cnn/vgg.js';
export type { VGGConfig, VGGLayout } from './cnn/vgg.js';
export { MobileNetV2 } from './cnn/mobilenet-v2.js';
export type { MobileNetV2Config } from './cnn/mobilenet-v2.js';
export { VisionTransformer } from './cnn/vision-transformer.js';
export type { VisionTransformerConfig } from './cnn/vision-transformer.js';
export type { Generator } from './gan/generator.js';
export { DCGANGenerator, DCGANDiscriminator, dcgan } from './gan/dcgan.js';
export type { DCGANConfig, DCGANPair } from './gan/dcgan.js';
export { MLPGenerator, MLPDiscriminator, mlpGan } from './gan/mlp-gan.js';
export type { MLPGANConfig, MLPGANPair } from './gan/mlp-gan.js';
export { UNet, originalUNet } from './unet/unet.js';
export type { UNetConfig } from './unet/unet.js';
export { Autoencoder, corrupt, sparsityPenalty } from './autoencoder/autoencoder.js';
export type { AutoencoderOutput, Corruption, GaussianCorruption, MaskingCorruption, Sparsity, L1Sparsity, KlSparsity } from './autoencoder/autoencoder.js';
export { DenseAutoencoder, denoisingAutoencoder, sparseAutoencoder } from './autoencoder/dense-autoencoder.js';
export type { DenseAutoencoderConfig } from './autoencoder/dense-autoencoder.js';
export { ConvAutoencoder } from './autoencoder/conv-autoencoder.js';
export type { ConvAutoencoderConfig } from './autoencoder/conv-autoencoder.js';
export { VariationalAutoencoder, klDivergence, reparameterize } from './autoencoder/vae.js';
export type { VariationalAutoencoderConfig, VaeOutput, VaePosterior } from './autoencoder/vae.js';
export { Perceptron } from './feedforward/perceptron.js';
export type { PerceptronConfig } from './feedforward/perceptron.js';
export { MLP } from './feedforward/mlp.js';
export type { MLPConfig } from './feedforward/mlp.js';
export { RBFNetwork, gaussianRbf, kMeans } from './feedforward/rbf-network.js';
export type { RBFNetworkConfig, KMeansResult } from './feedforward/rbf-network.js';

// Decoding (issue 10, part B): greedy, beam search, sampling over any IncrementalDecoder.
export type { IncrementalDecoder, DecoderStep } from './decoding/incremental-decoder.js';
export { greedyDecode } from './decoding/greedy.js';
export type { GreedyDecodeOptions } from './decoding/greedy.js';
export { beamSearch } from './decoding/beam-search.js';
export type { BeamSearchOptions, BeamHypothesis } from './decoding/beam-search.js';
export { sampleDecode, samplingDistribution } from './decoding/sample.js';
export type { SampleDecodeOptions, SamplingDistribution } from './decoding/sample.js';

// Transformers (issue 10, part B): key/value cache, GPT blocks and the causal LM.
export { cachedSelfAttention, offsetCausalMask, projectMemory, attendToMemory } from './transformer/kv-cache.js';
export type { KeyValueCache, CachedAttentionResult } from './transformer/kv-cache.js';
export { GPTBlock, gptBlock } from './transformer/gpt-block.js';
export type { GPTBlockConfig, GPTBlockWeights, GPTBlockOptions, GPTBlockResult } from './transformer/gpt-block.js';
export { CausalLM, causalLM, causalLMParameterCount, resolveCausalLMConfig } from './transformer/causal-lm.js';
export type { CausalLMConfig, ResolvedCausalLMConfig, CausalLMState, CausalLMDecoderOptions } from './transformer/causal-lm.js';
export { TransformerClassifier, transformerClassifier, transformerClassifierParameterCount, resolveTransformerClassifierConfig } from './transformer/transformer-classifier.js';
export type { TransformerClassifierConfig, ResolvedTransformerClassifierConfig } from './transformer/transformer-classifier.js';
export { Seq2SeqTransformer, seq2seqTransformer, seq2seqTransformerParameterCount, resolveSeq2SeqTransformerConfig } from './transformer/seq2seq-transformer.js';
export type { Seq2SeqTransformerConfig, ResolvedSeq2SeqTransformerConfig, Seq2SeqInput, Seq2SeqTransformerState, Seq2SeqDecoderOptions, EncodedSource } from './transformer/seq2seq-transformer.js';

// Recurrent (issue 10, part B).
export { RNNClassifier, rnnClassifier, rnnClassifierParameterCount, resolveRNNClassifierConfig } from './recurrent/rnn-classifier.js';
export type { RNNClassifierConfig, ResolvedRNNClassifierConfig } from './recurrent/rnn-classifier.js';
export { Seq2SeqLSTM, seq2seqLSTM, seq2seqLSTMParameterCount, resolveSeq2SeqLSTMConfig } from './recurrent/seq2seq-lstm.js';
export type { Seq2SeqLSTMConfig, ResolvedSeq2SeqLSTMConfig, Seq2SeqLSTMInput, Seq2SeqLSTMState } from './recurrent/seq2seq-lstm.js';
