// lamina.cu compiled for the CPU, and the table of its kernels for the emulated driver.
// The table is written by hand; cuModuleLoadData checks it against the PTX's .entry list (names
// and parameter sizes), so a kernel added to lamina.cu but not here fails loudly in the tests.
#include "emu.h"

#ifdef LAMINA_EMU_GPU_MATHS
#include "gpu_maths.h"  // transcendental functions 2 ulp from glibc's, as a GPU's may be
#endif

#include "../../main/cuda/lamina.cu"

namespace lamina_emu {

const std::vector<KernelInfo>& kernels() {
    static const std::vector<KernelInfo> table = {
        kernelInfo("lamina_activation_backward", &lamina_activation_backward),
        kernelInfo("lamina_activation_forward", &lamina_activation_forward),
        kernelInfo("lamina_adam_update", &lamina_adam_update),
        kernelInfo("lamina_affine", &lamina_affine),
        kernelInfo("lamina_argmax_rows", &lamina_argmax_rows),
        kernelInfo("lamina_axpby", &lamina_axpby),
        kernelInfo("lamina_bias_activation_forward", &lamina_bias_activation_forward),
        kernelInfo("lamina_bias_add", &lamina_bias_add),
        kernelInfo("lamina_binary", &lamina_binary),
        kernelInfo("lamina_clamp", &lamina_clamp),
        kernelInfo("lamina_column_scale", &lamina_column_scale),
        kernelInfo("lamina_column_sums", &lamina_column_sums),
        kernelInfo("lamina_dropout_mask", &lamina_dropout_mask),
        kernelInfo("lamina_fill", &lamina_fill),
        kernelInfo("lamina_gather_rows", &lamina_gather_rows),
        kernelInfo("lamina_log_sum_exp_rows", &lamina_log_sum_exp_rows),
        kernelInfo("lamina_loss_rows", &lamina_loss_rows),
        kernelInfo("lamina_one_hot", &lamina_one_hot),
        kernelInfo("lamina_rmsprop_update", &lamina_rmsprop_update),
        kernelInfo("lamina_adagrad_update", &lamina_adagrad_update),
        kernelInfo("lamina_row_sums", &lamina_row_sums),
        kernelInfo("lamina_scale_by_norm", &lamina_scale_by_norm),
        kernelInfo("lamina_sgd_update", &lamina_sgd_update),
        kernelInfo("lamina_sgemm_128x128", &lamina_sgemm_128x128),
        kernelInfo("lamina_sgemm_64x64", &lamina_sgemm_64x64),
        kernelInfo("lamina_sgemm_64x64_splitk", &lamina_sgemm_64x64_splitk),
        kernelInfo("lamina_splitk_reduce", &lamina_splitk_reduce),
        kernelInfo("lamina_softmax_backward_rows", &lamina_softmax_backward_rows),
        kernelInfo("lamina_softmax_rows", &lamina_softmax_rows),
        kernelInfo("lamina_sum_finish", &lamina_sum_finish),
        kernelInfo("lamina_sum_partials", &lamina_sum_partials),
        kernelInfo("lamina_unary", &lamina_unary),
    };
    return table;
}

}  // namespace lamina_emu
