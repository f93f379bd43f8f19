/* kernel_fpu_begin/end: save the x87/SSE state around kernel use (FXSAVE, SDM vol. 1, 10.5). */
#include <asm/fpu.h>
#include <asm/percpu.h>
#include <kernel/preempt.h>
#include <kernel/bug.h>

struct fxsave_area {
	u8 bytes[512];
} __aligned(16);

static DEFINE_PER_CPU(struct fxsave_area, kernel_fpu_save) __aligned(16);
static DEFINE_PER_CPU(bool, in_kernel_fpu);

void kernel_fpu_begin(void)
{
	preempt_disable();
	WARN_ON_ONCE(this_cpu_read(in_kernel_fpu));
	this_cpu_write(in_kernel_fpu, true);
	__asm__ __volatile__("fxsave64 %0" : "=m"(*this_cpu_ptr(&kernel_fpu_save)));
	__asm__ __volatile__("fninit");
}

void kernel_fpu_end(void)
{
	__asm__ __volatile__("fxrstor64 %0" :: "m"(*this_cpu_ptr(&kernel_fpu_save)));
	this_cpu_write(in_kernel_fpu, false);
	preempt_enable();
}
