from ipykernel.kernelapp import IPKernelApp

from .kernel import MpfKernel

IPKernelApp.launch_instance(kernel_class=MpfKernel)
