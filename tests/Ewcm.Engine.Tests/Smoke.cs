namespace Ewcm.Engine.Tests;
public class Smoke { [Fact] public void True() => Assert.Equal(2, 1 + 1); }
