/** The activations a dense layer may use; `linear` everywhere makes the PCA-like AE. */
export const activationNames = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'elu', 'linear'] as const;
export type ActivationName = (typeof activationNames)[number];
/** The slope of `leaky-relu` below zero. */
export const leakyReluAlpha = 0.2;
export const initNames = ['glorot', 'he', 'uniform'] as const;
export type InitName = (typeof initNames)[number];
