"""Reference implementations for the backprop course.

Modules
-------
graph      a scalar computational graph (notebook 01)
viz        drawings of that graph and the backward stepper (notebook 01)
jacobian   numerical Jacobians, the chain-rule example, vector-Jacobian products (notebook 03)
layers     forward/backward pairs in the column layout (notebooks 03-05)
rowlayout  the same affine layer in the row layout X W + b, for comparison (notebook 04)
mlp        a multi-layer perceptron built from those layers (notebook 05)
cost       timing backprop against numerical gradients as networks grow (notebook 05)
labs       the saturation and dead-ReLU labs behind the sliders (notebook 06)
engine     what notebook 02's own autograd engine is checked and trained with (notebook 02)
labs_flow  the labs of exploding gradients, input scale and learning speed (notebook 06)
torchgraph PyTorch's backward graph, drawn like ours (notebook 07; needs the torch extra)
gradcheck  numerical gradients and relative errors (every notebook)
checker    the exercise checker: check_exercise(mine, "name") (every notebook)
exercises  every exercise, declared once: inputs, reference, outputs, m and its mistakes
data       one-hot labels and the small data sets the notebooks train on

Conventions: one example per column, X (n_features, m), W[l] (n_l, n_{l-1}), b[l] (n_l, 1);
the loss is the mean over the m examples, so the 1/m lives in the loss gradient.
"""

__version__ = "0.1.0"
