using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests;

public class ExitCodeTests
{
    [Test]
    public void Guest_exit_codes_have_the_VZ_values()
    {
        Assert.That((int)GuestExitCode.Gpsi, Is.EqualTo(0));
        Assert.That((int)GuestExitCode.Gsfc, Is.EqualTo(1));
        Assert.That((int)GuestExitCode.Hypercall, Is.EqualTo(2));
        Assert.That((int)GuestExitCode.Grr, Is.EqualTo(3));
        Assert.That((int)GuestExitCode.Gva, Is.EqualTo(8));
        Assert.That((int)GuestExitCode.Ghfc, Is.EqualTo(9));
        Assert.That((int)GuestExitCode.Gpa, Is.EqualTo(10));
    }

    [Test]
    public void Guest_exit_is_exception_code_27() => Assert.That((int)ExcCode.GE, Is.EqualTo(27));
}
